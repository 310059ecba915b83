# expect: line 5, "In artkit, write  text_size(32)"
def draw():
    background("white")
    fill("black")
    textSize(32)
    text("Hello!", 50, 100)
