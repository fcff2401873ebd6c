"""Operations the GUI and the `deesc` command both call: authorise, validate, write, audit."""
