# expect: line 6, "found a function named mousePressed: did you mean mouse_pressed?"
def draw():
    circle(50, 50, 20)


def mousePressed():
    background("gold")
