# expect: a function kept calling itself and never stopped
def branch(length):
    line(0, 0, 0, -length)
    branch(length * 0.7)


def draw():
    branch(100)
