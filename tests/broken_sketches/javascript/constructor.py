# expect: line 3, "In Python this line is:  def __init__(self, x, y):"
class Ball:
    constructor(x, y) {
        self.x = x
        self.y = y
