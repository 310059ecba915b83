# expect: line 6, "mouse_pressed can take x, y and button, but yours asks for pos"
def draw():
    circle(100, 100, 20)


def mouse_pressed(pos):
    circle(pos[0], pos[1], 10)
