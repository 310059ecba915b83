# expect: line 15, "Write  ball.show()"
class Ball:
    def __init__(self):
        self.x = 200

    def show(self):
        circle(self.x, 200, 30)


ball = Ball()


def draw():
    background("white")
    ball.show
