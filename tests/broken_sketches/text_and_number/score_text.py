# expect: line 8, "Turn it into text with  str(score), or write it all as an f-string:  f"Score: {score}""
score = 0


def draw():
    background("white")
    fill("black")
    text("Score: " + score, 20, 40)
