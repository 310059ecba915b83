# expect: line 10, "your function flower needs 3 values: x, y and petal_size. You gave 2."
def flower(x, y, petal_size):
    fill("pink")
    circle(x - petal_size, y, petal_size)
    circle(x + petal_size, y, petal_size)


def draw():
    background("white")
    flower(100, 100)
