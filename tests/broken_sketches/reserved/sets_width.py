# expect: line 2, "Use a different name, like my_width"
width = 5


def draw():
    circle(100, 100, 20)
