# expect: line 6, "but this list is empty: it has no items yet"
stars = []


def draw():
    first = stars[0]
    circle(first[0], first[1], 10)
