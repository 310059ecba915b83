# expect: line 4, "In Python, write  self.x"
class Ball:
    def __init__(self, x, y):
        this.x = x
        this.y = y

    def show(self):
        circle(self.x, self.y, 30)


ball = Ball(200, 200)


def draw():
    ball.show()
