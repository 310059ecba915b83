# expect: line 7, "In Python, write  print("x is", x)"
x = 0


def draw():
    global x
    console.log("x is", x)
    x = x + 5
    circle(x, 200, 20)
