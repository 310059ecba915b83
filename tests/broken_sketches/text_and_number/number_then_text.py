# expect: line 6, "f"{lives} lives left""
lives = 3


def draw():
    text(lives + " lives left", 20, 40)
