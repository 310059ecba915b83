# expect: line 3, "circle needs a number for x, but you gave the text '100'. Numbers are written without quotes, like 200."
def draw():
    circle("100", 200, 50)
