# expect: artkit stopped your sketch: draw ran for
def draw():
    x = 0
    while True:
        x = x + 1
