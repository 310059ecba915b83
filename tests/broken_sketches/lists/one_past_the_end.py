# expect: line 6, "this list has 2 items, numbered 0 and 1"
colours = ["red", "blue"]


def draw():
    fill(colours[2])
    circle(200, 200, 100)
