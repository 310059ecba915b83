# expect: line 4, "In artkit, write  mouse_x"
def draw():
    background("white")
    circle(mouseX, mouseY, 30)
