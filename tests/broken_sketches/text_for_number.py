# expect: line 3: circle needs a number for x, but you gave the text '100'
def draw():
    circle("100", 200, 50)
