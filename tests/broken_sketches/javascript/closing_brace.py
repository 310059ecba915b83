# expect: line 9, "Python ends a block by moving the next line back to the left, so it has no } to close it: delete the }"
def setup():
    size(400, 400)


def draw():
    background("white")
    square(mouse_x, mouse_y, 40)
}
