# expect: line 7, "circle needs a number for size, but it got None (nothing). Did a function forget to return its answer?"
def bigger(n):
    n * 2


def draw():
    circle(100, 100, bigger(20))
