# expect: line 5, "I don't know the name circel. Did you mean circle?"
def draw():
    background("white")
    fill("tomato")
    circel(200, 200, 80)
