# expect: line 6, "In Python this line is:  else:"
def draw():
    background("white")
    if mouse_is_pressed:
        fill("red")
    } else {
        fill("blue")
    }
    circle(200, 200, 100)
