class CreateInvitationsAndUsers < ActiveRecord::Migration[7.2]
  def change
    create_table :invitations do |t|
      t.string :invite_id, null: false
      t.string :email, null: false
      t.boolean :used, null: false, default: false
      t.timestamps
    end
    add_index :invitations, :invite_id, unique: true
    add_index :invitations, :email, unique: true

    create_table :users do |t|
      t.string :user_name, null: false
      t.string :email, null: false
      t.string :password_digest, null: false
      t.timestamps
    end
    add_index :users, :user_name, unique: true
  end
end
