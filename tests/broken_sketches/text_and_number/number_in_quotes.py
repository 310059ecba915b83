# expect: line 6, "If radius should be a number, write  int(radius)"
radius = "40"


def draw():
    circle(200, 200, radius + 10)
