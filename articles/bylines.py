def join_names(names):
    """'A', 'A and B', 'A, B and C': a byline as readers say it."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
