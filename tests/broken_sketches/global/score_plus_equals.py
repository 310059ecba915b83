# expect: line 6, "write  global score  as the first line of mouse_pressed"
score = 0


def mouse_pressed():
    score += 1


def draw():
    background("white")
    text(str(score), 20, 40)
