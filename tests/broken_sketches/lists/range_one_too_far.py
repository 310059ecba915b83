# expect: line 7, "(i is 3), but this list has 3 items, numbered 0 to 2"
xs = [100, 200, 300]


def draw():
    for i in range(len(xs) + 1):
        circle(xs[i], 200, 40)
