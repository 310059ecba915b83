# expect: line 8, "Turn it into text with  str(frame_count)"
message = "Frames: "


def draw():
    global message
    background("white")
    message += frame_count
    text(message, 20, 40)
