# expect: line 5, "nothing tells it to stop. Give it an input that changes each time it calls itself"
def spiral():
    rotate(10)
    circle(20, 0, 5)
    spiral()


def setup():
    translate(200, 200)
    spiral()
