# expect: line 3, "the lines after function definition on line 2 must be indented"
def draw():
circle(200, 200, 50)
