# expect: line 3, "In Python this line is:  if not mouse_is_pressed:"
def draw():
    if !mouse_is_pressed:
        background("white")
    circle(mouse_x, mouse_y, 20)
