# expect: line 3, "In artkit, write  size(400, 400)"
def setup():
    createCanvas(400, 400)
    background("black")
