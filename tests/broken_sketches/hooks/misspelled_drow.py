# expect: line 6, "found a function named drow: did you mean draw?"
def setup():
    size(200, 200)


def drow():
    circle(100, 100, 50)
