# expect: your sketch sets width, but artkit sets width itself before every frame
width = 5


def draw():
    circle(100, 100, 20)
