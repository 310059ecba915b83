# expect: line 3, "Python doesn't need a ; at the end of a line"
def setup():
    size(400, 400);
    background("white");


def draw():
    circle(mouse_x, mouse_y, 20)
