# expect: line 3, "In artkit, write  mouse_is_pressed"
def draw():
    if mouseIsPressed:
        fill("black")
    else:
        fill("white")
    circle(mouse_x, mouse_y, 50)
