# expect: line 6, "In Python write  len(colours)"
colours = ["red", "gold", "teal"]


def draw():
    for i in range(colours.length):
        fill(colours[i])
        circle(i * 100 + 50, 200, 80)
