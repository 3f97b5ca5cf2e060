# Inputs: failing photos named (exit 1), unreadable folders, hostile files, duplicates, odd options.
pr_trust_test(test_inputs_failing_photos)    # r01
pr_trust_test(test_inputs_unreadable_folder) # r02
