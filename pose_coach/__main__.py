from pose_coach.cli import main

main()
