# expect: line 8, "To give a variable a value, use one =:  x = 0"
x = 0


def draw():
    global x
    if x > 400:
        x == 0
    x = x + 2
    circle(x, 200, 20)
