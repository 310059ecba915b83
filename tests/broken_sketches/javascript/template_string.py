# expect: line 9, "In Python this line is:  text(f"Score: {score}", 20, 40)"
score = 0


def draw():
    background("white")
    fill("black")
    text_size(24)
    text(`Score: ${score}`, 20, 40)
