# expect: your sketch uses the name size for something of its own
size = 40


def draw():
    circle(100, 100, size)
