# expect: line 4, "Give it a stopping rule as its first line, like  if length < 2: return"
def branch(length):
    line(0, 0, 0, -length)
    branch(length * 0.7)


def draw():
    branch(100)
