# expect: line 7, "its stopping rule never came true. Check that each call on line 7 (branch(length * 1.2)) brings length closer"
def branch(length):
    if length < 2:
        return
    line(0, 0, 0, -length)
    translate(0, -length)
    branch(length * 1.2)


def setup():
    translate(200, 400)
    branch(100)
