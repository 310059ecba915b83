# expect: line 4, "no_stroke on its own does nothing: a command only runs with brackets after it. Write  no_stroke()"
def setup():
    size(400, 400)
    no_stroke
    fill("orange")


def draw():
    circle(mouse_x, mouse_y, 40)
