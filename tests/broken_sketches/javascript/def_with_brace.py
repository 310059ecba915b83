# expect: line 2, "In Python this line is:  def draw():"
def draw() {
    background("pink")
    circle(200, 200, 120)
