# expect: line 12, "artkit calls draw for you anyway, so you can delete this line"
def setup():
    size(400, 400)
    background("white")


def draw():
    fill(random(255), 100, 200)
    circle(mouse_x, mouse_y, 30)


draw
