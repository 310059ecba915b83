# expect: line 2, "a line that starts with def, if, else, for or while must end with a colon ':'"
def draw()
    circle(200, 200, 50)
