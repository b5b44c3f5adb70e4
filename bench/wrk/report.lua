-- wrk's figures as one JSON line, prefixed BENCH_JSON, for bench/load.py to read.
-- Latencies are in microseconds, as wrk measures them.

function bench_json(summary, latency, extra)
  local errors = summary.errors
  return string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}%s}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, extra or ""
  )
end

function done(summary, latency, requests)
  io.write(bench_json(summary, latency))
end
