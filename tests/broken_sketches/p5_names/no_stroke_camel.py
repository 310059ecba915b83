# expect: line 4, "In artkit, write  no_stroke()"
def setup():
    size(400, 400)
    noStroke()
    fill("purple")


def draw():
    circle(mouse_x, mouse_y, 40)
