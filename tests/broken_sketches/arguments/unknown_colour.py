# expect: line 4, "I don't know the colour 'lightgreeen'. Did you mean 'lightgreen'"
def draw():
    background("white")
    fill("lightgreeen")
    circle(200, 200, 100)
