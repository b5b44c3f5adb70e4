-- Posts comments, each with a unique body, with one reader's csrf cookie and form fields
-- fetched beforehand by bench/load.py; counts the answers by status code.
-- Arguments (after wrk's `--`): form action path, form body file, headers file. done()
-- writes the accepted comments' ids (from each redirect's #comment-ID) to the file named
-- by BENCH_ACCEPTED_IDS_FILE: done() runs where init()'s arguments are not seen.
-- The form body holds __BENCH_N__ wherever the request's unique number goes.

dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local function read_file(name)
  local file = assert(io.open(name, "r"))
  local text = file:read("*a")
  file:close()
  return text
end

function init(args)
  action = args[1]
  form_body = read_file(args[2])
  headers = {}
  for line in read_file(args[3]):gmatch("[^\n]+") do
    local name, value = line:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  sent = 0
  statuses = {}
  accepted_ids = {}
end

function request()
  sent = sent + 1
  local body = form_body:gsub("__BENCH_N__", thread_id .. "x" .. sent)
  return wrk.format("POST", action, headers, body)
end

function response(status, response_headers, body)
  local code = tostring(status)
  local location = response_headers["Location"] or response_headers["location"]
  if location and location:find("?unposted=", 1, true) then
    -- A refused comment is sent (303) to the page that shows it again: not accepted.
    code = code .. " refused"
  end
  statuses[code] = (statuses[code] or 0) + 1
  local id = location and location:match("#comment%-(%d+)")
  if id then
    table.insert(accepted_ids, id)
  end
end

function done(summary, latency, requests)
  local totals = {}
  local ids_file = assert(io.open(os.getenv("BENCH_ACCEPTED_IDS_FILE"), "w"))
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do
      totals[code] = (totals[code] or 0) + count
    end
    for _, id in ipairs(thread:get("accepted_ids")) do
      ids_file:write(id, "\n")
    end
  end
  ids_file:close()
  local parts = {}
  for code, count in pairs(totals) do
    table.insert(parts, string.format('"%s": %d', code, count))
  end
  io.write(bench_json(summary, latency, ', "statuses": {' .. table.concat(parts, ", ") .. "}"))
end
