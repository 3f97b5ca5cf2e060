# Inputs: failing photos named (exit 1), unreadable folders, hostile files, duplicates, odd options.
pr_trust_test(test_inputs_failing_photos)    # r01: each failing photo named, every run; exit 1
pr_trust_test(test_inputs_unreadable_folder) # r02: a locked folder / photo / dangling link skipped
pr_trust_test(test_inputs_identical_faces)   # r08: copies of one photo labelled
pr_trust_test(test_inputs_header_bomb)       # r12: header vs data, truncated + EOI, --threads
pr_trust_test(test_inputs_cmyk)              # r11: one loader for every command
pr_trust_test(test_inputs_options)           # absurd options refused; sidecars not "not images"
