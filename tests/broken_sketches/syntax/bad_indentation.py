# expect: line 4, "this line is indented (moved right) but nothing above asks for that"
def draw():
    background("white")
        circle(200, 200, 50)
