# expect: line 2, "found a function named setUp: did you mean setup?"
def setUp():
    size(300, 300)


def draw():
    circle(mouse_x, mouse_y, 20)
