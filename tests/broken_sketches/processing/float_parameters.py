# expect: line 2, "In Python this line is:  def flower(x, y):"
def flower(float x, float y):
    fill("pink")
    circle(x, y, 40)


def draw():
    flower(200, 200)
